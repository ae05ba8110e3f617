import { describe, expect, it } from 'vitest';
import { checkKnobValue, parseKnobAssignment, parseSeriesList, seriesName, withSeries } from './metric-knobs';

describe('metric knob assignments', () => {
  it('reads per-object and external assignments', () => {
    expect(parseKnobAssignment('requests_per_second=600 / replicas')).toEqual({ metric: 'requests_per_second', value: '600 / replicas' });
    expect(parseKnobAssignment('queue_depth{queue=inference, region="eu"}=120')).toEqual({ metric: 'queue_depth', labels: { queue: 'inference', region: 'eu' }, value: '120' });
    expect(parseKnobAssignment('queue_depth{}=5')).toEqual({ metric: 'queue_depth', labels: {}, value: '5' });
    // An empty value removes the knob.
    expect(parseKnobAssignment('rps=')).toEqual({ metric: 'rps', value: '' });
    // cpu and memory are resource loads: a share of the request or a quantity, never an expression.
    expect(parseKnobAssignment('cpu=180%')).toEqual({ metric: 'cpu', value: '180%' });
    expect(parseKnobAssignment('memory=512Mi')).toEqual({ metric: 'memory', value: '512Mi' });
    expect(() => parseKnobAssignment('cpu=600 / replicas')).toThrow(/not a cpu load/);
    expect(() => parseKnobAssignment('cpu=512Mi')).toThrow(/not a cpu load/);
    expect(() => parseKnobAssignment('memory{a=b}=1Gi')).toThrow(/resource load: it has no labels/);
  });

  it('refuses names the adapter cannot serve, and malformed assignments, saying what to write', () => {
    expect(() => parseKnobAssignment('requests-per-second=5')).toThrow(/not a metric name/);
    expect(() => parseKnobAssignment('9lives=5')).toThrow(/not a metric name/);
    expect(() => parseKnobAssignment(`${'a'.repeat(51)}=5`)).toThrow(/not a metric name/);
    expect(() => parseKnobAssignment('rps')).toThrow(/not NAME=VALUE/);
    expect(() => parseKnobAssignment('q{queue=inference=5')).toThrow(/not NAME\{labels\}=VALUE/);
    expect(() => parseKnobAssignment('q{bad label=x}=5')).toThrow(/not a label/);
    expect(() => parseKnobAssignment('q{queue=has space}=5')).toThrow(/not a label/);
  });

  it('takes numbers, quantities and expressions of replicas and t', () => {
    for (const ok of ['120', '2.5', '-3', '.5', '1e3', '500m', '2k', '600 / replicas', 'max(0, 900 - 30 * replicas * t)', 'ceil(t / 60) * 500 + round(replicas)']) expect(checkKnobValue(` ${ok} `)).toBe(ok);
    expect(() => checkKnobValue('lots')).toThrow(/uses "lots"/);
    expect(() => checkKnobValue('process.exit(1)')).toThrow(/uses "process"/);
    expect(() => checkKnobValue('7 % 2')).toThrow(/not a number/);
    expect(() => checkKnobValue('max(1, 2')).toThrow(/not a number/);
    expect(() => checkKnobValue('1 +')).toThrow(/not a number/);
    expect(() => checkKnobValue(')(')).toThrow(/not a number/);
    expect(() => checkKnobValue('')).toThrow(/not a number/);
  });
});

describe('external series', () => {
  it('names a series as Prometheus writes it, labels sorted', () => {
    expect(seriesName({ name: 'queue_depth', labels: { z: '1', a: '2' } })).toBe('queue_depth{a=2,z=1}');
    expect(seriesName({ name: 'queue_depth' })).toBe('queue_depth');
  });

  it('replaces the same series, keeps the others, and removes one set to nothing', () => {
    const list = [
      { name: 'queue_depth', labels: { queue: 'a' }, value: '1' },
      { name: 'queue_depth', labels: { queue: 'b' }, value: '2' },
    ];
    expect(withSeries(list, { name: 'queue_depth', labels: { queue: 'a' }, value: '9' })).toEqual([list[1], { name: 'queue_depth', labels: { queue: 'a' }, value: '9' }]);
    expect(withSeries(list, { name: 'queue_depth', labels: { queue: 'b' }, value: '' })).toEqual([list[0]]);
    expect(withSeries([], { name: 'x', value: '1' })).toEqual([{ name: 'x', value: '1' }]);
  });

  it('reads the ConfigMap’s list, and says where a broken one is', () => {
    expect(parseSeriesList(undefined, 'cm')).toEqual([]);
    expect(parseSeriesList(' ', 'cm')).toEqual([]);
    expect(parseSeriesList('[{"name":"q","value":"1"}]', 'cm')).toEqual([{ name: 'q', value: '1' }]);
    expect(() => parseSeriesList('{', 'configmap default/x')).toThrow(/configmap default\/x is not JSON/);
    expect(() => parseSeriesList('[{"name":1}]', 'cm')).toThrow(/not a list of series/);
  });
});
