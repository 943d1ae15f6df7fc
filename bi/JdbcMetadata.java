// What a JDBC-based BI tool (Tableau, Metabase, DBeaver, ...) sees of the crm_ext example views:
// every view and materialized view of schema public, from DatabaseMetaData.getTables/getColumns,
// with each column's JDBC type, its database type, whether the JDBC type is a standard one (not
// OTHER, 1111: the driver cannot map it, e.g. a crm_ext model type) and the REMARKS (the COMMENTs).
//
//   java -cp /usr/share/java/postgresql.jar bi/JdbcMetadata.java <jdbc-url> <user> [--curated=v1,v2,...]
//
// Password: PGPASSWORD, if set. Views that belong to an extension are skipped. Exits 1 when a
// curated view (by default every view found; with --curated only those named, e.g. the
// dashboard's datasets) is missing, has no REMARKS, or has a column of type OTHER or without
// REMARKS; the other views' problems are listed but do not fail the check. Exit 2: usage.
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

public class JdbcMetadata {
    record Column(String name, int jdbcType, String typeName, String remarks) {
        boolean standard() { return jdbcType != Types.OTHER; }

        String jdbcTypeName() {
            try {
                return JDBCType.valueOf(jdbcType).getName();
            } catch (IllegalArgumentException e) {
                return "type " + jdbcType;
            }
        }
    }

    record View(String name, String kind, String remarks, List<Column> columns) {}

    static boolean blank(String s) { return s == null || s.isBlank(); }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java -cp postgresql.jar JdbcMetadata.java <jdbc-url> <user> [--curated=v1,v2,...]");
            System.exit(2);
        }
        String url = args[0];
        Properties props = new Properties();
        props.setProperty("user", args[1]);
        if (System.getenv("PGPASSWORD") != null) props.setProperty("password", System.getenv("PGPASSWORD"));
        Set<String> curated = null;  // null: every view is curated
        for (String arg : Arrays.copyOfRange(args, 2, args.length)) {
            if (arg.startsWith("--curated=")) {
                curated = new TreeSet<>(Arrays.asList(arg.substring("--curated=".length()).split(",")));
                curated.remove("");
            } else {
                System.err.println("unknown argument " + arg);
                System.exit(2);
            }
        }

        Map<String, View> views = new TreeMap<>();  // by name
        int skipped = 0;
        try (Connection conn = DriverManager.getConnection(url, props)) {
            DatabaseMetaData md = conn.getMetaData();
            System.out.printf("%s %s, %s %s%n", md.getDriverName(), md.getDriverVersion(),
                    md.getDatabaseProductName(), md.getDatabaseProductVersion());
            // getTables cannot tell an extension's views from the examples'; the catalog can
            Set<String> extensionViews = new TreeSet<>();
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery(
                         "SELECT c.relname FROM pg_depend d JOIN pg_class c ON c.oid = d.objid "
                         + "WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e' "
                         + "AND c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm')")) {
                while (rs.next()) extensionViews.add(rs.getString(1));
            }
            try (ResultSet rs = md.getTables(null, "public", "%", new String[] {"VIEW", "MATERIALIZED VIEW"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME");
                    if (extensionViews.contains(name)) {
                        skipped++;
                        continue;
                    }
                    views.put(name, new View(name, rs.getString("TABLE_TYPE"), rs.getString("REMARKS"), new ArrayList<>()));
                }
            }
            String esc = md.getSearchStringEscape();
            for (View v : views.values()) {
                String pattern = v.name().replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
                try (ResultSet rs = md.getColumns(null, "public", pattern, "%")) {
                    while (rs.next()) {
                        if (!v.name().equals(rs.getString("TABLE_NAME"))) continue;
                        v.columns().add(new Column(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"),
                                rs.getString("TYPE_NAME"), rs.getString("REMARKS")));
                    }
                }
            }
        }

        // the listing
        int columns = 0, materialized = 0;
        List<String> other = new ArrayList<>(), uncommentedColumns = new ArrayList<>(), uncommentedViews = new ArrayList<>();
        for (View v : views.values()) {
            if (v.kind().startsWith("MATERIALIZED")) materialized++;
            System.out.printf("%n%s %s: %s%n", v.kind().toLowerCase(), v.name(), blank(v.remarks()) ? "(no REMARKS)" : v.remarks());
            if (blank(v.remarks())) uncommentedViews.add(v.name());
            int width = v.columns().stream().mapToInt(c -> c.name().length()).max().orElse(0);
            for (Column c : v.columns()) {
                columns++;
                System.out.printf("  %-" + width + "s  %-9s %-16s %-8s %s%n", c.name(), c.jdbcTypeName(), c.typeName(),
                        c.standard() ? "standard" : "OTHER", blank(c.remarks()) ? "(no REMARKS)" : c.remarks());
                if (!c.standard()) other.add(v.name() + "." + c.name() + " (" + c.typeName() + ")");
                if (blank(c.remarks())) uncommentedColumns.add(v.name() + "." + c.name());
            }
        }

        // the summary and the verdict on the curated views
        System.out.printf("%nJDBC metadata: %d views (%d materialized)%s, %d columns; %d of type OTHER%s; "
                        + "%d columns and %d views without REMARKS%n",
                views.size(), materialized, skipped > 0 ? ", " + skipped + " of extensions skipped" : "", columns,
                other.size(), other.isEmpty() ? "" : ": " + String.join(", ", other),
                uncommentedColumns.size(), uncommentedViews.size());
        Set<String> checked = curated != null ? curated : new TreeSet<>(views.keySet());
        List<String> problems = new ArrayList<>();
        for (String name : checked) {
            View v = views.get(name);
            if (v == null) {
                problems.add(name + ": no such view in schema public");
                continue;
            }
            if (blank(v.remarks())) problems.add(name + ": no REMARKS");
            for (Column c : v.columns()) {
                if (!c.standard()) problems.add(name + "." + c.name() + ": type OTHER (" + c.typeName() + ")");
                if (blank(c.remarks())) problems.add(name + "." + c.name() + ": no REMARKS");
            }
        }
        String which = (curated != null ? "the " + checked.size() + " curated views (" + String.join(", ", checked) + ")"
                : "all " + checked.size() + " views");
        if (problems.isEmpty()) {
            System.out.printf("OK: %s: standard JDBC types and REMARKS on every view and column%n", which);
        } else {
            System.out.printf("FAILED: %s:%n", which);
            for (String p : problems) System.out.println("  " + p);
            System.exit(1);
        }
    }
}
