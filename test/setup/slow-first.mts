import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that took 25 s or more on 2 cores (3 at once), slowest first. vitest orders files by
 * the durations of the last run, which a first run on a fresh machine does not have: it then
 * starts the largest files first, and small slow ones (the model test, history size) started last
 * held up the end of the run by half a minute.
 */
const SLOW = [
  'test/demo/demo.test.ts',
  'test/workflows/retirement/dependents-dynamodb.test.ts',
  'test/workflows/gate/disabling-gate.test.ts',
  'test/workflows/retirement/dependents-fleet.test.ts',
  'test/workflows/campaign/scale.test.ts',
  'test/cli/bulk-start.test.ts',
  'test/model/safety.test.ts',
  'test/workflows/retirement/decisions.test.ts',
  'test/workflows/retirement/history-size.test.ts',
  'test/workflows/retirement/lifecycle.test.ts',
  'test/scan/cli.test.ts',
  'test/workflows/watcher/shared-watcher.test.ts',
  'test/workflows/retirement/dependents.test.ts',
  'test/workflows/campaign/campaign.test.ts',
  'test/activities/dependents/services.test.ts',
  'test/cli/plan-start-agree.test.ts',
  'test/cli/decisions.test.ts',
  'test/emulator/tools/custodian.test.ts',
  'test/activities/dependents/sqs.test.ts',
  'test/ui/web-ui.test.ts',
];

/** vitest's order where it knows the durations; otherwise the files above first. */
export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    if (sorted.every((spec) => this.ctx.cache.getTestSpecificationResult(spec))) return sorted;
    const rank = (spec: TestSpecification): number => {
      const i = SLOW.indexOf(path.relative(spec.project.config.root, spec.moduleId).split(path.sep).join('/'));
      return i < 0 ? SLOW.length : i;
    };
    return sorted
      .map((spec, order) => ({ spec, order }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.order - b.order)
      .map(({ spec }) => spec);
  }
}
