import { describe, expect, it } from 'vitest';
import { parsePortSpec, parseRemotePort, parseTarget } from './port-spec';

describe('port specs and targets', () => {
  it('parses LOCAL:REMOTE like kubectl', () => {
    expect(parsePortSpec('8080:80')).toEqual({ local: 8080, remote: 80 });
    expect(parsePortSpec('0:8080')).toEqual({ local: 0, remote: 8080 });
    expect(parsePortSpec(':8080')).toEqual({ local: 0, remote: 8080 });
    expect(parsePortSpec('5432')).toEqual({ local: 5432, remote: 5432 });
    expect(parsePortSpec('0:http')).toEqual({ local: 0, remote: 'http' });
  });

  it('refuses malformed specs with INVALID_ARGUMENT and a fix', () => {
    for (const bad of ['', '1:2:3', 'x:80', '80:', '70000:80', '80:0', '80:70000', '-1:80', '8080:HTTP', '8080:my_port', 'http']) {
      expect(() => parsePortSpec(bad), bad).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', fix: expect.any(String) }));
    }
  });

  it('takes port names as Kubernetes allows them', () => {
    expect(parseRemotePort('metrics')).toBe('metrics');
    expect(parseRemotePort('http-alt')).toBe('http-alt');
    expect(() => parseRemotePort('-http')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => parseRemotePort('a-very-long-port-name')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('parses pod/NAME, svc/NAME and their spellings; a bare name is a pod', () => {
    expect(parseTarget('pod/web-1')).toEqual({ kind: 'pod', name: 'web-1' });
    expect(parseTarget('pods/web-1')).toEqual({ kind: 'pod', name: 'web-1' });
    expect(parseTarget('web-1')).toEqual({ kind: 'pod', name: 'web-1' });
    expect(parseTarget('svc/web')).toEqual({ kind: 'service', name: 'web' });
    expect(parseTarget('service/web')).toEqual({ kind: 'service', name: 'web' });
    expect(parseTarget('Svc/web')).toEqual({ kind: 'service', name: 'web' });
  });

  it('refuses other kinds and invalid names', () => {
    expect(() => parseTarget('deploy/web')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'Cannot forward to "deploy" objects.' }));
    expect(() => parseTarget('svc/')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => parseTarget('svc/Web')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => parseTarget('pod/a/b')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
