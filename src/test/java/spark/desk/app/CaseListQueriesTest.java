package spark.desk.app;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.sop.Case;
import spark.desk.sop.Stage;
import spark.desk.store.CaseStore;
import spark.desk.store.Database;
import spark.desk.store.LogisticsStore;
import spark.desk.testing.Desk;
import spark.desk.testing.TestDatabase;

/**
 * A page of {@code GET /api/cases} costs the same number of SQL statements whatever its size (no
 * query per case): every statement the views run is counted by a Jdbi {@link SqlLogger}, on H2 with
 * the real migrations, and nothing else uses that database meanwhile.
 */
class CaseListQueriesTest {
  TestDatabase db;
  Database database;
  final List<String> statements = Collections.synchronizedList(new ArrayList<>());
  CaseViews views;

  @BeforeEach
  void open() {
    db = TestDatabase.h2();
    database = db.open();
    CaseStore store = new CaseStore();
    database
        .jdbi()
        .useTransaction(
            h -> {
              for (long t = 1; t <= 300; t++) {
                Case c = CasesPagingTest.caseOf(t, CasesPagingTest.stageOf(t));
                store.saveCase(h, c, Desk.START);
                store.addHistory(h, t, Desk.START, "1.1", "one");
                store.addHistory(h, t, Desk.START.plusSeconds(1), "1.2", "two");
                if (c.stage() == Stage.AWAITING_LOGISTICS)
                  new LogisticsStore().file(h, c, Desk.START);
              }
            });
    database
        .jdbi()
        .getConfig(SqlStatements.class)
        .setSqlLogger(
            new SqlLogger() {
              @Override
              public void logBeforeExecution(StatementContext ctx) {
                statements.add(ctx.getRenderedSql());
              }
            });
    views = new CaseViews(database.jdbi(), store, new LogisticsStore(), Optional.empty());
  }

  @AfterEach
  void close() {
    database.close();
    db.close();
  }

  int statementsFor(Optional<Stage> stage, int limit) {
    statements.clear();
    CaseViews.Page page = views.page(stage, 0, limit);
    assertEquals(limit, page.cases().size(), "a full page");
    page.cases().forEach(c -> assertEquals(2, c.timeline().size(), "its whole timeline"));
    return statements.size();
  }

  @Test
  void aPageCostsTwoStatementsWhateverItsSize() {
    for (int limit : List.of(1, 10, 100, 250))
      assertEquals(2, statementsFor(Optional.empty(), limit), limit + " cases: " + statements);
    for (int limit : List.of(1, 30, 60))
      assertEquals(
          2,
          statementsFor(Optional.of(Stage.AWAITING_LOGISTICS), limit),
          limit + " cases: " + statements);
  }

  @Test
  void theLastPageSaysSoAndAnEmptyPageCostsOneStatement() {
    CaseViews.Page last = views.page(Optional.of(Stage.AWAITING_LOGISTICS), 250, 100);
    assertEquals(10, last.cases().size());
    assertEquals(Optional.empty(), last.lastTicket());
    assertEquals(
        Optional.empty(),
        views.page(Optional.of(Stage.AWAITING_LOGISTICS), 0, 60).lastTicket(),
        "exactly 60 await logistics: no page after them");
    assertEquals(
        Optional.of(291L), views.page(Optional.of(Stage.AWAITING_LOGISTICS), 0, 59).lastTicket());
    statements.clear();
    assertEquals(List.of(), views.page(Optional.empty(), 300, 100).cases());
    assertEquals(1, statements.size(), statements.toString());
  }
}
