/**
 * What every package of the service shares and nothing else: the unchecked exception root ({@link
 * spark.desk.shared.DeskException}), an outside system's failure ({@link
 * spark.desk.shared.UpstreamException}) and the one {@link
 * com.fasterxml.jackson.databind.ObjectMapper} ({@link spark.desk.shared.Json}). It imports none of
 * our packages, so the root package keeps only the composition root ({@code App}, {@code Main}),
 * which nothing imports.
 */
package spark.desk.shared;
