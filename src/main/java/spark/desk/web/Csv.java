package spark.desk.web;

/** The cells of the CSV files the pages download (responses.csv, cases.csv). */
public final class Csv {
  private Csv() {}

  /**
   * RFC 4180 quoting; a leading formula character is defused so a spreadsheet never runs a cell.
   */
  public static String cell(Object value) {
    if (value == null) return "";
    String v = value.toString();
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) v = "'" + v;
    if (v.contains(",")
        || v.contains("\"")
        || v.contains("\n")
        || v.contains("\r")
        || v.startsWith("'")) v = "\"" + v.replace("\"", "\"\"") + "\"";
    return v;
  }
}
