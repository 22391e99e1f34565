/**
 * Corpus handling shared by analyze, splat, compare and batch: which arguments are which files,
 * kernel logs sorted from traces by content, one input read as every command reads it, and the
 * bounded parallel window that merges results in path order.
 */
package org.kreplay.report.corpus;
