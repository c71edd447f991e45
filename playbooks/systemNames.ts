import { Identifier } from './graph';
import { systemNameProblem } from './names';

// The rules themselves are zod-free (./names), so the workflow bundle can check names without zod.
export { SYSTEM_CONTAINERS, systemNameProblem } from './names';

/** A name a person gives a value (run variable, form field): an identifier the system does not own. */
export const PersonalName = Identifier.superRefine((name, ctx) => {
  const problem = systemNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
