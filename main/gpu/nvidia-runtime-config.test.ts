import { describe, expect, it } from 'vitest';
import { acceptsVolumeMounts } from './nvidia-runtime-config';

describe('accept-nvidia-visible-devices-as-volume-mounts in config.toml', () => {
  it('is on only when set to true at top level and not commented out', () => {
    expect(acceptsVolumeMounts('accept-nvidia-visible-devices-as-volume-mounts = true\n[nvidia-container-cli]\nldconfig = "@/sbin/ldconfig"\n')).toBe(true);
    // The toolkit's default file ships it commented out.
    expect(acceptsVolumeMounts('#accept-nvidia-visible-devices-as-volume-mounts = false\naccept-nvidia-visible-devices-envvar-when-unprivileged = true\n')).toBe(false);
    expect(acceptsVolumeMounts('# accept-nvidia-visible-devices-as-volume-mounts = true\n')).toBe(false);
    expect(acceptsVolumeMounts('accept-nvidia-visible-devices-as-volume-mounts = false\n')).toBe(false);
    expect(acceptsVolumeMounts('[nvidia-container-runtime]\naccept-nvidia-visible-devices-as-volume-mounts = true\n')).toBe(false);
  });
});
