package io.github.mcpoauth.servlet.security;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures java.util.logging output (where {@link System.Logger}, and Jetty through slf4j-jdk14, end up) while
 * open: everything from mcp-oauth's own loggers down to the finest level, everything else from INFO.
 */
final class LogCapture implements AutoCloseable {

    private static final String OURS = "io.github.mcpoauth";

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Logger ours = Logger.getLogger(OURS);
    private final Level oursBefore = ours.getLevel();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            boolean mine = r.getLoggerName() != null && r.getLoggerName().startsWith(OURS);
            if (mine || r.getLevel().intValue() >= Level.INFO.intValue()) {
                records.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    LogCapture() {
        handler.setLevel(Level.ALL);
        ours.setLevel(Level.ALL);
        root.addHandler(handler);
    }

    /** Every captured record, formatted as a log file would show it, stack traces included. */
    String text() {
        SimpleFormatter f = new SimpleFormatter();
        StringBuilder b = new StringBuilder();
        for (LogRecord r : records) {
            b.append(f.format(r));
            if (r.getThrown() != null) {
                StringWriter w = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(w));
                b.append(w);
            }
        }
        return b.toString();
    }

    /** The captured records. */
    List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** Records from any logger at WARNING or above, or carrying an exception. */
    List<LogRecord> problems() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()
                || r.getThrown() != null).toList();
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        ours.setLevel(oursBefore);
    }
}
