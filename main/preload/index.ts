/**
 * The preload bridge: exposes `window.slipway.{call, subscribe}` and nothing else. Only names in
 * the contract may be sent; the main process validates again.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { contractTable } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { createRpcEndpoint, type RawRpc } from '../../shared/rpc-client';

const CHANNEL = 'slipway:rpc';

const endpoint = createRpcEndpoint((message) => ipcRenderer.send(CHANNEL, message));
ipcRenderer.on(CHANNEL, (_event, message: unknown) => endpoint.receive(message));

const unknownName = (name: string) => new AppError('UNKNOWN_METHOD', `"${name}" is not part of the Slipway contract.`);
// contextBridge keeps only `message` of an Error; errors cross as plain wire objects instead.
const plain = (error: unknown) => (error instanceof AppError ? error.toWire() : error);

const bridge: RawRpc = {
  call(name, args) {
    if (contractTable.get(name)?.kind !== 'method') return Promise.reject(plain(unknownName(name)));
    return endpoint.call(name, args).catch((error: unknown) => Promise.reject(plain(error)));
  },
  subscribe(name, params, onEvent, onEnd) {
    const kind = contractTable.get(name)?.kind;
    if (kind !== 'event' && kind !== 'task') {
      onEnd({ error: plain(unknownName(name)) as AppError });
      return () => {};
    }
    return endpoint.subscribe(name, params, onEvent, (outcome) =>
      onEnd(outcome.error ? { error: plain(outcome.error) as AppError } : outcome),
    );
  },
};

contextBridge.exposeInMainWorld('slipway', bridge);
