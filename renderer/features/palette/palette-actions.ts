/**
 * The one place where features register what the palette can do to an object. A new action
 * (port-forward, scale, delete…) is one more `register` call here: the palette builds an entry
 * for every loaded object of the action's kinds, and ranks it like any other.
 * Actions that need their own UI use an `invoke` target that opens it.
 */
import type { ObjectAction } from './palette-model';

export class ActionRegistry {
  private readonly actions: ObjectAction[] = [];

  /** Adds an action; an id used twice is a programming error, caught at startup. */
  register(action: ObjectAction): this {
    if (this.actions.some((a) => a.id === action.id)) throw new Error(`palette action "${action.id}" is registered twice`);
    this.actions.push(action);
    return this;
  }

  list(): readonly ObjectAction[] {
    return this.actions;
  }
}

export const paletteActions = new ActionRegistry()
  // Logs: the pod's page with its log viewer brought into view.
  .register({
    id: 'pod.logs',
    kinds: ['pod'],
    title: (o) => `Logs of pod ${o.name}`,
    target: (o) => ({ type: 'navigate', route: 'workloads', rest: ['pods', o.context, o.namespace ?? '', o.name, 'logs'], watch: { context: o.context, ...(o.namespace ? { namespace: o.namespace } : {}) } }),
  })
  // Shell: the Terminal tab's exec session (route shape: terminal/pod/CONTEXT/NAMESPACE/POD).
  .register({
    id: 'pod.shell',
    kinds: ['pod'],
    title: (o) => `Shell in pod ${o.name}`,
    target: (o) => ({ type: 'navigate', route: 'workloads', rest: ['terminal', 'pod', o.context, o.namespace ?? '', o.name] }),
  });
