import { CONTINUE, type Step } from '../step';

/** The door serves the request: every check above has passed. */
export const route: Step = {
  name: 'route',
  async run(x) {
    await x.door.route(x);
    return CONTINUE;
  },
};
