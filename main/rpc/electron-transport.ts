import type { IpcMain, IpcMainEvent, WebContents } from 'electron';
import type { Disposable } from '../../shared/disposable';
import type { Contract } from '../../shared/contract/define';
import { MAX_MESSAGE_BYTES } from '../../shared/protocol';
import type { Logger } from '../logger';
import type { RpcRouter, RpcSession } from './router';

/** The one IPC channel both directions use. */
export const RPC_CHANNEL = 'slipway:rpc';

/**
 * Serves the router over Electron IPC. Each renderer (webContents) gets its own session; every
 * message's sender frame must be the app's own main frame, else it is dropped and logged.
 */
export function attachElectronTransport<C extends Contract>(
  ipcMain: IpcMain,
  router: RpcRouter<C>,
  options: { isTrustedFrame: (url: string) => boolean; log: Logger },
): Disposable {
  const sessions = new Map<number, RpcSession>();
  const sessionFor = (contents: WebContents) => {
    let session = sessions.get(contents.id);
    if (!session) {
      const created = router.openSession(
        (message) => {
          if (!contents.isDestroyed()) contents.send(RPC_CHANNEL, message);
        },
        { face: 'electron', peer: `webContents#${contents.id}` },
      );
      session = created;
      sessions.set(contents.id, created);
      const release = () => {
        created.dispose();
        sessions.delete(contents.id);
      };
      contents.once('destroyed', release);
      // A reload starts a new renderer; its old subscriptions must not outlive it.
      contents.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) release();
      });
    }
    return session;
  };
  const onMessage = (event: IpcMainEvent, message: unknown) => {
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame || !options.isTrustedFrame(frame.url)) {
      options.log.warn(`ipc: dropped message from untrusted frame ${frame?.url ?? '(gone)'}`);
      return;
    }
    if (JSON.stringify(message ?? null).length > MAX_MESSAGE_BYTES) {
      options.log.warn('ipc: dropped oversized message');
      return;
    }
    sessionFor(event.sender).receive(message);
  };
  ipcMain.on(RPC_CHANNEL, onMessage);
  return {
    dispose() {
      ipcMain.off(RPC_CHANNEL, onMessage);
      for (const session of sessions.values()) session.dispose();
      sessions.clear();
    },
  };
}
