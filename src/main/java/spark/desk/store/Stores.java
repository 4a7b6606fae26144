package spark.desk.store;

/** One store per table family, built together (they keep no state but a JSON mapper). */
public record Stores(
    CaseStore cases,
    InboxStore inbox,
    WriteStore writes,
    TrackerStore trackers,
    LogisticsStore logistics,
    MilestoneStore milestones) {
  public static Stores create() {
    return new Stores(
        new CaseStore(),
        new InboxStore(),
        new WriteStore(),
        new TrackerStore(),
        new LogisticsStore(),
        new MilestoneStore());
  }
}
