import { objectKeyFromPath } from '../../../shared/models/objects';
import { EmptyState } from '../../components/EmptyState';
import { ObjectPanel } from './ObjectPanel';

/** `#/object/<context>/<group>/<kind>/<ns>/<name>`: a shareable link to one object's details. */
export function ObjectPage({ rest }: { rest: string[] }) {
  const key = objectKeyFromPath(rest);
  if (!key) {
    return (
      <EmptyState title="No object named" action={<a href="#/workloads">Go to Workloads</a>}>
        <p>An object link reads #/object/CONTEXT/GROUP/KIND/NAMESPACE/NAME (core for the core group, - for no namespace).</p>
      </EmptyState>
    );
  }
  // A new key is a new panel: no state (tab, edit) carries over between objects.
  return <ObjectPanel key={rest.join('/')} objectKey={key} />;
}
