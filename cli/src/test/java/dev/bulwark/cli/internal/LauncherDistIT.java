package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built distribution, {@code cli/target/bulwark/}, as a user runs it: {@code bin/bulwark} from another directory
 * and through a symbolic link, with Java found through {@code JAVA_HOME} or the {@code PATH} (and a clear line when
 * neither has one), and the generated completion script completing commands in bash. Runs after {@code package}
 * (failsafe, in {@code verify}), so it tests the files that ship; surefire, which runs before {@code package}, excludes
 * it, and a {@code -Dtest} filter that names it anyway finds it disabled.
 */
@EnabledIfSystemProperty(named = "bulwark.version", matches = ".+",
        disabledReason = "runs in failsafe after package (verify sets bulwark.version), not in surefire before it")
class LauncherDistIT {

    private static final Path HOME = Path.of("target", "bulwark").toAbsolutePath();
    private static final Path LAUNCHER = HOME.resolve("bin").resolve("bulwark");
    private static final String JAVA_HOME = System.getProperty("java.home");

    @TempDir
    Path elsewhere;

    private record Result(int exitCode, String out, String err) {
    }

    private Result run(Path launcher, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(elsewhere.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = elsewhere.resolve("out.txt");
        Path err = elsewhere.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("bulwark " + String.join(" ", args) + " finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Map<String, String> javaHome() {
        return Map.of("JAVA_HOME", JAVA_HOME, "PATH", "/usr/bin:/bin");
    }

    @Test
    void versionRunsFromAnotherDirectoryThroughASymbolicLink() throws Exception {
        Path link = Files.createSymbolicLink(elsewhere.resolve("bulwark"), LAUNCHER);

        Result r = run(link, javaHome(), "--version");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("bulwark " + System.getProperty("bulwark.version") + System.lineSeparator())
                .contains("Java ");
    }

    @Test
    void findsJavaOnThePathWithoutJavaHome() throws Exception {
        Path bin = Files.createDirectories(elsewhere.resolve("path-bin"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of(JAVA_HOME, "bin", "java"));

        Result r = run(LAUNCHER, Map.of("PATH", bin + ":/usr/bin:/bin"), "classify", "40001", "--dialect", "postgresql");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("kind                   TRANSIENT");
    }

    @Test
    void saysWhatIsWrongWhenNoJavaIsFound() throws Exception {
        Path emptyPath = Files.createDirectories(elsewhere.resolve("empty"));
        Path dirname = Files.createDirectories(elsewhere.resolve("tools"));
        for (String tool : List.of("dirname", "readlink")) { // what the launcher itself needs besides the shell
            Files.createSymbolicLink(dirname.resolve(tool), Path.of("/usr/bin", tool));
        }
        Result none = run(LAUNCHER, Map.of("PATH", emptyPath + ":" + dirname), "--version");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err().strip()).isEqualTo("bulwark: no java found: set JAVA_HOME or put java (17 or newer) on the PATH");

        Result wrong = run(LAUNCHER, Map.of("JAVA_HOME", emptyPath.toString(), "PATH", "/usr/bin:/bin"), "--version");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err().strip()).startsWith("bulwark: JAVA_HOME is " + emptyPath).endsWith("fix or unset JAVA_HOME");
    }

    @Test
    void doctorChecksTheLocalPostgresqlThroughTheLauncher() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Result r = run(LAUNCHER, javaHome(), "doctor", db.jdbcUrl(), "--user", db.user());

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("server      PostgreSQL").contains("statement_timeout = ");
            assertThat(r.err()).isEmpty(); // the libraries' logs stay below ERROR: nothing on a healthy run
        }
    }

    @Test
    void theCompletionScriptCompletesCommandsAndOptionsInBash() throws Exception {
        Path script = HOME.resolve("completion").resolve("bulwark.bash");
        String bash = "source '" + script + "'\n"
                + "COMP_WORDS=(bulwark jo); COMP_CWORD=1; _complete_bulwark; echo \"1:${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(bulwark classify 40001 --dialect ma); COMP_CWORD=4; _complete_bulwark;"
                + " echo \"2:${COMPREPLY[*]}\"\n";
        Process p = new ProcessBuilder("bash", "-c", bash).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(out).as(out).contains("1:journal").contains("2:mariadb");
    }
}
