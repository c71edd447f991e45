import { readFileSync } from 'node:fs';
import { env } from '../support/product';

/**
 * The workflow bundle every worker of the suite runs (built once by globalSetup from
 * workflows/index.ts). Each new workflow evaluates all of its modules again in a fresh context:
 * zod and the node kinds' config schemas cost ~17 ms of worker CPU per new run, and a plan is
 * validated when it is compiled, so none of them may be in it. The runtime reads each kind's step
 * from playbooks/nodes/runtime/ instead.
 */

/** The webpack modules of a bundle: path → source, from the `/***\/ "./path":` markers. */
function modulesOf(code: string): Map<string, string> {
  const marker = /^\/\*\*\*\/ "([^"]+)"$/gm;
  const starts = [...code.matchAll(marker)].map((m) => ({ path: m[1], at: m.index }));
  return new Map(starts.map((s, i) => [s.path, code.slice(s.at, starts[i + 1]?.at ?? code.length)]));
}

describe('the workflow bundle', () => {
  const code = readFileSync(env().workflowBundle, 'utf8');
  const modules = modulesOf(code);
  const ours = [...modules.keys()].filter((p) => !p.includes('node_modules'));

  it('is read module by module (the step registry is in it)', () => {
    console.log(`workflow bundle: ${(code.length / 1024 / 1024).toFixed(2)} MB, ${modules.size} modules, ${ours.length} of ours`);
    expect(ours).toContain('./playbooks/nodes/runtime/index.ts');
    expect(ours).toContain('./playbooks/runtime/machine.ts');
  });

  it('holds no zod, and names the modules that would bring it', () => {
    const zod = [...modules.keys()].filter((p) => p.includes('node_modules/zod/'));
    const importers = ours.filter((p) => /__webpack_require__\(\/\*! zod(\/[^ ]*)? \*\//.test(modules.get(p)!));
    expect({ importers, zodModules: zod.length }).toEqual({ importers: [], zodModules: 0 });
    expect(code).not.toContain('ZodType');
  });

  it('holds no node kind description, no graph schema and no form schema', () => {
    const described = ours.filter((p) => /^\.\/playbooks\/(nodes\/(?!runtime\/|vars\.ts$|vocabulary\.ts$)|graph\.ts$|form\.ts$|systemNames\.ts$)/.test(p));
    expect(described).toEqual([]);
  });
});
