import type { SlipwayContract } from '../../../shared/contract';
import { applyRequestSchema } from '../../../shared/contract/promote';
import path from 'node:path';
import type { Services } from '../../services';
import { stagePastedYaml } from '../../promote/pasted-bundle';
import type { Handlers } from '../handlers';

/** Promotion: thin bindings; long work runs as tasks with progress and cancellation. */
export function promoteHandlers({ promote, platform }: Services): Handlers<SlipwayContract>['promote'] {
  return {
    listSamples: () => promote.listSamples(),
    stagePastedYaml: ({ yaml }) => stagePastedYaml(path.join(platform.configDir, 'pasted'), yaml),
    loadBundle: (request) => promote.loadBundle(request.path),
    capture: (request, io) => promote.capture(request, io),
    listProfiles: () => ({ saved: promote.profiles.list(), examples: promote.profiles.examples() }),
    saveProfile: ({ profile }) => promote.profiles.save(profile),
    deleteProfile: ({ name }) => ({ deleted: promote.profiles.delete(name) }),
    plan: (request, io) => promote.plan(request, io),
    diff: (request, io) => promote.diff(request, io),
    pushImages: (request, io) => promote.pushImages(request, io),
    apply: (request, io) => promote.apply(applyRequestSchema.parse(request), io),
    listHistory: () => promote.listHistory(),
    getHistory: ({ id }) => promote.getHistory(id),
    rollback: ({ id }, io) => promote.rollback(id, io),
    // The router hands over the schema's parsed output: profileSpec has its defaults filled in.
    export: (request) => promote.export(request as Parameters<typeof promote.export>[0]),
  };
}
