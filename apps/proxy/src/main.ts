import { runService } from '@trustzone/config';
import { loadProxyConfig } from './config';
import { createProxy } from './create-proxy';

void runService('proxy', async () => createProxy(loadProxyConfig()).then((p) => p.listen()));
