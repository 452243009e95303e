import { ScriptError } from '../load-script.error';

/** The ScriptError `run` fails with; success or any other error fails the test. */
export async function scriptErrorOf(run: () => unknown): Promise<ScriptError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof ScriptError) return e;
    throw e;
  }
  throw new Error('expected a ScriptError');
}
