/**
 * Self-contained HTML reports: {@link org.kreplay.report.render.html.HtmlReport} is the entry point.
 *
 * <p>How a page is made: {@code report.html} (a resource beside these classes) is the skeleton
 * every page kind shares — head with the Content-Security-Policy that allows only its own script,
 * styles, the script that sorts tables and expands findings, and {@code <!--kreplay:NAME-->}
 * markers. {@code Page} copies the template up to each marker and writes that part (header,
 * navigation, sections, footer, a JSON description for tools) through {@code HtmlOut}, which
 * escapes every text and flushes to the writer in bounded pieces. Building blocks:
 * {@code HtmlTable} (sortable tables, grouped rows with an expandable detail row),
 * {@code Charts} (JFreeChart into JFreeSVG: log-axis histograms and CDFs, stacked shares),
 * {@code Distribution} (a deferral row's buckets for charts), {@code Facts} (a result's
 * summary), {@code FindingsHtml} (findings by kind, a finding's detail) and {@code DeferralHtml}
 * (per mechanism: charts and table).
 *
 * <p>Adding a page kind (e.g. {@code splats} or {@code batch}):
 *
 * <ol>
 *   <li>Write a {@code SplatsPage} like {@code AnalysisPage}: a static {@code write(data, version,
 *       writer)} that opens a {@code Page} with a {@code Page.Head} (title, subject, lines,
 *       badges, navigation links whose ids are the sections' ids), writes each section with
 *       {@code page.section(id, title)} and the building blocks above, and ends with
 *       {@code page.finish(meta)} (meta: {@code schema_version}, {@code kind}, {@code tool} and
 *       what a tool would want to read without parsing the page).
 *   <li>Add {@code HtmlReport.splats(data, version, writer)} that calls it through {@code run(…)}
 *       (which turns the writer's failures back into {@code IOException}).
 *   <li>Cap every list the input can make long, and say what was left out with
 *       {@code page.leftOut(n, what, where)}.
 *   <li>Test it like {@code HtmlReportTest} (jsoup) and add a case to {@code
 *       HtmlReportBrowserTest}; the probe there records script errors, alerts, chart layout and
 *       what clicks do.
 * </ol>
 *
 * <p>No new script is needed for sortable tables or expandable rows: the template's script
 * handles every {@code table.sortable} and every {@code button.expand}. If the script itself is
 * changed, the CSP hash follows automatically (it is computed from the template).
 */
package org.kreplay.report.render.html;
