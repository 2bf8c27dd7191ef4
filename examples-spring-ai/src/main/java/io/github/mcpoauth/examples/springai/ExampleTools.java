package io.github.mcpoauth.examples.springai;

import java.lang.reflect.Type;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.ai.tool.execution.ToolCallResultConverter;

/** The example's MCP tools: {@code whoami} and {@code echo}, answering plain text. */
public class ExampleTools {

    private final Caller caller;

    ExampleTools(Caller caller) {
        this.caller = caller;
    }

    /** The caller's subject. */
    @Tool(name = "whoami", description = "Returns the authenticated caller's subject",
            resultConverter = PlainText.class)
    public String whoami() {
        return caller.subject();
    }

    /** The message, back. */
    @Tool(name = "echo", description = "Echoes the given message back", resultConverter = PlainText.class)
    public String echo(@ToolParam(description = "Text to echo") String message) {
        return message;
    }

    /** Tool results as they are, not as JSON strings. */
    public static final class PlainText implements ToolCallResultConverter {
        @Override
        public String convert(Object result, Type returnType) {
            return String.valueOf(result);
        }
    }
}
