import { describe, expect, it } from 'vitest';
import { KUEUE_KINDS, suspendPatchFor, TRAINING_KINDS, TRAINING_REGISTRY, trainingKindOf, type TrainingKindEntry } from './training-kinds';

const entries: readonly TrainingKindEntry[] = TRAINING_REGISTRY;

describe('training kind registry', () => {
  it('has one entry per kind, with what the view, pod lookups, suspend and Kueue need', () => {
    expect(new Set(entries.map((e) => e.kind)).size).toBe(entries.length);
    expect(new Set(entries.map((e) => e.view?.source).filter(Boolean)).size).toBe(entries.filter((e) => e.view).length);
    for (const e of entries) {
      expect(e.plural, e.kind).toMatch(/^[a-z0-9]+$/);
      expect(typeof e.group, e.kind).toBe('string');
      expect(typeof e.kueue, e.kind).toBe('boolean');
      expect(typeof e.ownsJobs, e.kind).toBe('boolean');
      expect(Array.isArray(e.primaryPod), e.kind).toBe(true);
      expect(e.suspend === null || (e.suspend.length > 0 && e.suspend.every((k) => typeof k === 'string')), e.kind).toBe(true);
      if (e.view) {
        expect(e.view.source, e.kind).toBeTruthy();
        expect(['jobs', 'kubeflowV1', 'trainJobs', 'jobSets', 'rayJobs', 'sparkApplications', 'pods'], e.kind).toContain(e.view.reader);
        // The details panel lists a job's pods by this selector.
        expect(e.pods?.label, e.kind).toBeTruthy();
      }
      if (e.view?.reader === 'kubeflowV1') expect(e.view.replicaSpecs, e.kind).toMatch(/ReplicaSpecs$/);
      // Kueue holds a workload back by suspending it: a kind it admits must have the switch.
      if (e.kueue) expect(e.suspend, `${e.kind} is a Kueue kind without a suspend path`).not.toBeNull();
    }
  });

  it('lists every Kueue job kind in the training view (PaddleJob and JAXJob too)', () => {
    for (const kind of KUEUE_KINDS) if (kind !== 'RayCluster') expect(TRAINING_KINDS).toContain(kind);
    expect(TRAINING_KINDS).toEqual(expect.arrayContaining(['PaddleJob', 'JAXJob', 'SparkSubmit']));
    expect(TRAINING_KINDS).not.toContain('RayCluster');
  });

  it('finds an entry by group and kind, any version', () => {
    expect(trainingKindOf('kubeflow.org/v2beta1', 'MPIJob')?.plural).toBe('mpijobs');
    expect(trainingKindOf('v1', 'Job')).toBeUndefined();
    expect(trainingKindOf('v1', 'SparkSubmit')).toBeUndefined();
  });
});

describe('suspendPatchFor', () => {
  it('uses spec.suspend for Job, JobSet, TrainJob, RayJob and runPolicy.suspend for the Training Operator', () => {
    expect(suspendPatchFor('batch/v1', 'Job', true)).toEqual({ spec: { suspend: true } });
    expect(suspendPatchFor('jobset.x-k8s.io/v1alpha2', 'JobSet', false)).toEqual({ spec: { suspend: false } });
    expect(suspendPatchFor('trainer.kubeflow.org/v1alpha1', 'TrainJob', true)).toEqual({ spec: { suspend: true } });
    expect(suspendPatchFor('ray.io/v1', 'RayJob', true)).toEqual({ spec: { suspend: true } });
    expect(suspendPatchFor('kubeflow.org/v1', 'PyTorchJob', true)).toEqual({ spec: { runPolicy: { suspend: true } } });
    expect(suspendPatchFor('kubeflow.org/v1', 'JAXJob', false)).toEqual({ spec: { runPolicy: { suspend: false } } });
  });

  it('is null for kinds that cannot be suspended', () => {
    expect(suspendPatchFor('apps/v1', 'Deployment', true)).toBeNull();
    expect(suspendPatchFor('sparkoperator.k8s.io/v1beta2', 'SparkApplication', true)).toBeNull();
    expect(suspendPatchFor('v1', 'Job', true)).toBeNull();
  });
});
