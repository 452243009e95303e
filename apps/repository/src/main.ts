import { runService } from '@trustzone/config';
import { loadRepositoryConfig } from './config';
import { createRepository } from './create-repository';

void runService('repository', async () => createRepository(loadRepositoryConfig()).then((r) => r.listen()));
