package org.kreplay.analyze.internal.rules;

import org.kreplay.analyze.Finding.Certainty;

/** Why a point cannot sleep, with how sure and what to do about it. */
record Atomic(String reason, Certainty certainty, String remedy) {}
