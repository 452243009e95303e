import { runCli } from './cli';
import { processContext } from './process-context';

void runCli(process.argv.slice(2), processContext(), (line) => process.stderr.write(`${line}\n`)).then((code) => {
  process.exitCode = code;
});
