package io.github.mcpoauth.servlet.internal.consent;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in pages' texts, in English and French, chosen by the browser's {@code Accept-Language} (RFC 9110
 * §12.5.4) as the container parsed it into {@code request.getLocales()}. Placeholders are {@code {0}}, {@code {1}};
 * values put in them are escaped by the caller.
 */
final class Messages {

    private static final Map<String, String> EN = Map.ofEntries(
            Map.entry("consent.title", "Authorize {0}"),
            Map.entry("consent.heading", "{0} wants to use your account"),
            Map.entry("consent.signedIn", "Signed in as {0}"),
            Map.entry("consent.verified", "Verified: its identity is published at {0}"),
            Map.entry("consent.unverified", "Unverified: this app registered itself; its name was not checked"),
            Map.entry("consent.redirect", "After your decision you will be sent to {0}."),
            Map.entry("consent.loopback", "This app runs on this computer: it will receive access at {0}. Only"
                    + " approve if you just started it yourself."),
            Map.entry("consent.asks", "It will be able to:"),
            Map.entry("consent.resources", "On these servers:"),
            Map.entry("consent.approve", "Allow access"),
            Map.entry("consent.deny", "Cancel"),
            Map.entry("consent.clientId", "Client id"),
            Map.entry("consent.manage", "You can withdraw access at any time under Connected apps."),
            Map.entry("scope.mcp", "Use the tools and data of this MCP server on your behalf"),
            Map.entry("scope.offline_access", "Keep access when you are not using it"),
            Map.entry("scope.other", "Permission {0}"),
            Map.entry("apps.title", "Connected apps"),
            Map.entry("apps.intro", "Apps you allowed to use your account. Remove one to cut its access at once."),
            Map.entry("apps.none", "No app has access to your account."),
            Map.entry("apps.firstUse", "Connected"),
            Map.entry("apps.lastUse", "Last used"),
            Map.entry("apps.logoHost", "Logo hosted at"),
            Map.entry("apps.revoke", "Remove access for {0}"),
            Map.entry("apps.revokeShort", "Remove access"),
            Map.entry("apps.revoked", "Access removed."));

    private static final Map<String, String> FR = Map.ofEntries(
            Map.entry("consent.title", "Autoriser {0}"),
            Map.entry("consent.heading", "{0} souhaite utiliser votre compte"),
            Map.entry("consent.signedIn", "Connecté en tant que {0}"),
            Map.entry("consent.verified", "Vérifiée : son identité est publiée sur {0}"),
            Map.entry("consent.unverified", "Non vérifiée : cette application s’est inscrite elle-même ; son nom"
                    + " n’a pas été contrôlé"),
            Map.entry("consent.redirect", "Après votre choix, vous serez renvoyé vers {0}."),
            Map.entry("consent.loopback", "Cette application tourne sur cet ordinateur : elle recevra l’accès sur"
                    + " {0}. N’acceptez que si vous venez de la lancer vous-même."),
            Map.entry("consent.asks", "Elle pourra :"),
            Map.entry("consent.resources", "Sur ces serveurs :"),
            Map.entry("consent.approve", "Autoriser l’accès"),
            Map.entry("consent.deny", "Annuler"),
            Map.entry("consent.clientId", "Identifiant du client"),
            Map.entry("consent.manage", "Vous pouvez retirer cet accès à tout moment dans Applications connectées."),
            Map.entry("scope.mcp", "Utiliser les outils et données de ce serveur MCP en votre nom"),
            Map.entry("scope.offline_access", "Garder l’accès quand vous ne l’utilisez pas"),
            Map.entry("scope.other", "Permission {0}"),
            Map.entry("apps.title", "Applications connectées"),
            Map.entry("apps.intro", "Les applications autorisées à utiliser votre compte. Retirez-en une pour"
                    + " couper son accès immédiatement."),
            Map.entry("apps.none", "Aucune application n’a accès à votre compte."),
            Map.entry("apps.firstUse", "Connectée le"),
            Map.entry("apps.lastUse", "Dernière utilisation"),
            Map.entry("apps.logoHost", "Logo hébergé sur"),
            Map.entry("apps.revoke", "Retirer l’accès de {0}"),
            Map.entry("apps.revokeShort", "Retirer l’accès"),
            Map.entry("apps.revoked", "Accès retiré."));

    private final Map<String, String> texts;
    private final String language;

    private Messages(String language, Map<String, String> texts) {
        this.language = language;
        this.texts = texts;
    }

    /** The texts of the first supported language of {@code preferred} (most preferred first), else English. */
    static Messages forLocales(List<Locale> preferred) {
        for (Locale l : preferred) {
            if ("fr".equals(l.getLanguage())) {
                return new Messages("fr", FR);
            }
            if ("en".equals(l.getLanguage())) {
                break;
            }
        }
        return new Messages("en", EN);
    }

    /** The language tag for the page's {@code lang} attribute. */
    String language() {
        return language;
    }

    /** The text for {@code key} with {@code args} in place of {@code {0}}, {@code {1}}, ... (already escaped). */
    String get(String key, String... args) {
        String t = texts.getOrDefault(key, EN.get(key));
        if (t == null) {
            throw new IllegalArgumentException("no text " + key);
        }
        for (int i = 0; i < args.length; i++) {
            t = t.replace("{" + i + "}", args[i]);
        }
        return t;
    }

    /** Whether there is a text for {@code key}. */
    boolean has(String key) {
        return texts.containsKey(key);
    }
}
