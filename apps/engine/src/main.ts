import { runService } from '@trustzone/config';
import { loadEngineConfig } from './config';
import { createEngine } from './create-engine';

void runService('engine', async () => createEngine(loadEngineConfig()).then((e) => e.listen()));
