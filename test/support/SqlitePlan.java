import com.almworks.sqlite4java.SQLite;
import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteStatement;
import java.io.File;

/**
 * Prints SQLite's query plan for each statement given, one line each, as the SQLite that DynamoDB Local
 * bundles (sqlite4java and its native library, from DynamoDB Local's own lib folder) would run it on a
 * database file: the planner of that version, not of the one Node ships. Parameters are bound as text.
 *
 * java -cp <lib>/sqlite4java.jar SqlitePlan.java <lib> <database file> <sql>...
 */
public class SqlitePlan {
  public static void main(String[] args) throws Exception {
    SQLite.setLibraryPath(args[0]);
    java.util.logging.Logger.getLogger("com.almworks.sqlite4java").setLevel(java.util.logging.Level.WARNING);
    SQLiteConnection db = new SQLiteConnection(new File(args[1]));
    db.openReadonly();
    try {
      System.out.println("version " + SQLite.getSQLiteVersion());
      for (int i = 2; i < args.length; i++) {
        SQLiteStatement plan = db.prepare("EXPLAIN QUERY PLAN " + args[i]);
        try {
          for (int p = 1; p <= plan.getBindParameterCount(); p++) plan.bind(p, "0");
          StringBuilder line = new StringBuilder();
          while (plan.step()) line.append(line.length() > 0 ? "; " : "").append(plan.columnString(3));
          System.out.println(line);
        } finally {
          plan.dispose();
        }
      }
    } finally {
      db.dispose();
    }
  }
}
