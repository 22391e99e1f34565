/**
 * What a command reports, as documents that render themselves in every format, and the one
 * {@link org.kreplay.report.document.Documents#write} that picks the format. Depends on the
 * renderers ({@code render}, {@code render.html}); the command line depends on it.
 */
package org.kreplay.report.document;
