package spark.desk.shared;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The service's one JSON configuration: ISO-8601 instants, unknown fields ignored, {@code null}s
 * written (the contract shows absent parts as {@code null}). One mapper for the whole process:
 * Jackson's mappers are thread-safe once configured and cache what they learn about each type, so
 * nobody may reconfigure the shared one.
 */
public final class Json {
  private static final ObjectMapper MAPPER = create();

  private Json() {}

  /** The shared mapper. Never reconfigure it; {@code copy()} it for a different configuration. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static ObjectMapper create() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
  }
}
