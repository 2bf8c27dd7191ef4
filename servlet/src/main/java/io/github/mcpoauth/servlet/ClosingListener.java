package io.github.mcpoauth.servlet;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** Closes an {@link McpOAuth} when its context is destroyed, so that a redeployed application leaks no thread. */
final class ClosingListener implements ServletContextListener {

    private final AutoCloseable closeable;

    ClosingListener(AutoCloseable closeable) {
        this.closeable = closeable;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.getLogger(McpOAuth.class.getName()).log(System.Logger.Level.WARNING, "closing on context destroy "
                    + "failed: {0}", e.toString());
        }
    }
}
