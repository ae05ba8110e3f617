import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { PreflightCheck } from '../../../shared/models/promote';
import { ChecksView } from './ResultsView';

describe('ChecksView: Push images', () => {
  afterEach(cleanup);
  const missing: PreflightCheck = {
    id: 'image:r.io/ml/train:1',
    title: 'Image r.io/ml/train:1',
    status: 'fail',
    reason: 'r.io/ml/train:1 is not in r.io',
    push: { source: 'localhost:5001/ml/train:1', target: 'r.io/ml/train:1' },
  };
  const tagged: PreflightCheck = { id: 'image:r.io/ml/infer:2', title: 'Image r.io/ml/infer:2', status: 'warn', reason: 'pin r.io/ml/infer:2@sha256:…' };

  it('offers the button for images missing in the target registry, naming what it pushes', () => {
    const onPush = vi.fn();
    render(<ChecksView checks={[missing, tagged]} onPush={onPush} />);
    expect(screen.getByLabelText('Push images').textContent).toContain('localhost:5001/ml/train:1 → r.io/ml/train:1');
    fireEvent.click(screen.getByRole('button', { name: 'Push images' }));
    expect(onPush).toHaveBeenCalledOnce();
  });

  it('has no button when nothing is missing, or while something runs it is disabled', () => {
    render(<ChecksView checks={[tagged]} onPush={() => {}} />);
    expect(screen.queryByRole('button', { name: 'Push images' })).toBeNull();
    cleanup();
    render(<ChecksView checks={[missing]} onPush={() => {}} pushDisabled />);
    expect((screen.getByRole('button', { name: 'Push images' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
