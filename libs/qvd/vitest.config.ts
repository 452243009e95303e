import { projectTestConfig } from '../../tools/vitest.base';

export default projectTestConfig();
