package dev.tokenscope.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** The tokenscope command line: `up` runs the product locally. */
public final class Main {

    private static final String USAGE = """
            usage: tokenscope up [--demo] [--port N] [--s3-port N] [--data DIR | --ephemeral]
                                 [--recompute-minutes N]
                   tokenscope parse [--with-text] FILE...
                   tokenscope bench [readers|ingest|memory|coldstart|classifier]...
                   tokenscope generate --records N --out DIR [--seed S] [--format F]   synthetic usage logs
                   tokenscope catalog build [--data DIR] [--out FILE]   rebuild the model catalog resource
                   tokenscope classify [FILE]        use case and language per {"id","text"} JSON line
                   tokenscope classifier train|eval [--data DIR]   rebuild / evaluate the use-case model
              up            start the local stack, the API and the upload watcher; Ctrl-C stops everything
              parse         print the canonical records tokenscope reads from each file (JSON Lines on stdout)
                            and a summary on stderr: format detected, records, quarantined lines by reason;
                            --with-text includes the prompt text (never stored by tokenscope itself)
              generate      a year of synthetic usage logs with the report's truths planted (docs/generate.md)
              bench         measure every section (readers, ingest, memory, coldstart, classifier) and write
                            BENCHMARKS.md; with section names, measure only those and print them instead
              --demo        load a generated year of demo usage logs (once; they are kept in the data folder)
              --port        API port on 127.0.0.1 (default 3000)
              --s3-port     S3 port on 127.0.0.1 (default 9090, or a free one if 9090 is taken)
              --data        where objects and items are kept between runs (default .tokenscope)
              --ephemeral   keep nothing: objects in a temporary folder, items in memory
            """;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "--help" : args[0];
        switch (command) {
            case "up" -> up(args);
            case "parse" -> System.exit(ParseCommand.run(List.of(args).subList(1, args.length), System.out,
                    System.err));
            case "generate" -> System.exit(dev.tokenscope.local.generate.GenerateCommand.run(
                    List.of(args).subList(1, args.length), System.out, System.err));
            case "bench" -> System.exit(Bench.run(projectRoot(), List.of(args).subList(1, args.length), System.out));
            case "catalog" -> System.exit(CatalogBuild.run(List.of(args).subList(1, args.length), System.out,
                    System.err));
            case "classify" -> System.exit(dev.tokenscope.local.classifier.ClassifyCommand.run(
                    List.of(args).subList(1, args.length), System.in, System.out, System.err));
            case "classifier" -> System.exit(dev.tokenscope.local.classifier.ClassifierCommand.run(projectRoot(),
                    List.of(args).subList(1, args.length), System.out, System.err));
            default -> {
                System.err.print(USAGE);
                System.exit(command.equals("--help") || command.equals("help") ? 0 : 2);
            }
        }
    }

    private static void up(String[] args) throws Exception {
        Path root = projectRoot();
        boolean demo = false;
        int port = 3000;
        int s3Port = Ports.isFree(9090) ? 9090 : 0;
        Optional<Path> data = Optional.of(root.resolve(".tokenscope"));
        int recomputeMinutes = 60;
        List<String> rest = List.of(args).subList(1, args.length);
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            switch (arg) {
                case "--demo" -> demo = true;
                case "--ephemeral" -> data = Optional.empty();
                case "--port" -> port = intArg(rest, ++i, arg);
                case "--s3-port" -> s3Port = intArg(rest, ++i, arg);
                case "--recompute-minutes" -> recomputeMinutes = intArg(rest, ++i, arg);
                case "--data" -> data = Optional.of(Path.of(valueArg(rest, ++i, arg)).toAbsolutePath());
                default -> fail("unknown option " + arg);
            }
        }
        if (recomputeMinutes < 1) {
            fail("--recompute-minutes must be at least 1");
        }
        LocalRunner runner = LocalRunner.start(new LocalRunner.Options(root, data, port, s3Port, demo,
                recomputeMinutes, 1000), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping tokenscope...");
            runner.close();
            stopped.countDown();
        }));
        printEndpoints(runner, data);
        stopped.await();
    }

    private static void printEndpoints(LocalRunner runner, Optional<Path> data) {
        String api = "http://127.0.0.1:" + runner.apiPort();
        String s3 = runner.stack().s3Endpoint().toString();
        System.out.println("""

                tokenscope is running locally.
                  dashboard   %1$s/dashboard
                  API         %1$s/v1/figures   (also /v1/usage, /v1/uploads, /v1/openapi.json, /v1/health)
                  S3          %2$s   bucket %3$s, uploads under %4$s
                  DynamoDB    %5$s   table %6$s
                  data        %7$s
                try:
                  curl '%1$s/v1/figures/categories?granularity=week'
                  curl '%1$s/v1/usage?granularity=week&by=model'
                  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1 \\
                    aws s3 cp events/sample-usage.jsonl s3://%3$s/%4$s --endpoint-url %2$s
                  curl '%1$s/v1/uploads?key=%4$ssample-usage.jsonl'
                Ctrl-C stops everything.
                """.formatted(api, s3, LocalRunner.BUCKET, LocalRunner.LOG_PREFIX,
                runner.stack().dynamoEndpoint(), LocalRunner.TABLE,
                data.map(Path::toString).orElse("(ephemeral)")));
    }

    /** The project folder: where template.yaml is, from the working directory up. */
    static Path projectRoot() {
        String property = System.getProperty("tokenscope.root");
        Path start = property != null ? Path.of(property) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("template.yaml")) && Files.isDirectory(p.resolve("shared"))) {
                return p;
            }
        }
        fail("run tokenscope from its project folder (no template.yaml above " + start + ")");
        return start;
    }

    private static int intArg(List<String> args, int i, String name) {
        try {
            return Integer.parseInt(valueArg(args, i, name));
        } catch (NumberFormatException e) {
            fail(name + " needs a number");
            return 0;
        }
    }

    private static String valueArg(List<String> args, int i, String name) {
        if (i >= args.size()) {
            fail(name + " needs a value");
        }
        return args.get(i);
    }

    private static void fail(String message) {
        System.err.println("tokenscope: " + message);
        System.err.print(USAGE);
        System.exit(2);
    }
}
