package dev.tokenscope.testing;

import dev.tokenscope.recompute.QueryEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A QueryEngine that answers with rows given by the test (text values, as Athena returns them) and records calls. */
public final class FakeQueryEngine implements QueryEngine {

    /** One query as the engine received it. */
    public record Call(String sql, List<String> parameters, Window window) {
    }

    private final Function<Window, List<Map<String, String>>> answer;
    private final List<Call> calls = new ArrayList<>();

    public FakeQueryEngine(List<Map<String, String>> rows) {
        this(window -> rows);
    }

    public FakeQueryEngine(Function<Window, List<Map<String, String>>> answer) {
        this.answer = answer;
    }

    @Override
    public List<Map<String, String>> query(String sql, List<String> parameters, Window window) {
        calls.add(new Call(sql, List.copyOf(parameters), window));
        return answer.apply(window);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }
}
