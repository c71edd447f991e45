import { ReactFlowProvider } from '@xyflow/react';
import { ApiError } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { href } from '../router';
import { useSession } from '../session';
import { useApi } from '../useApi';
import { canDesign } from './canDesign';
import { Designer } from './Designer';
import { openPlaybook } from './designerApi';
import './designer.css';

/** `#/playbooks/:key/edit`: loads the draft with its ETag and hands it to the designer. */
export function DesignerPage({ playbookKey }: { playbookKey: string }) {
  const { user } = useSession();
  const loaded = useApi((signal) => openPlaybook(playbookKey, signal), [playbookKey]);
  if (!canDesign(user.role)) {
    return (
      <div className="page page--narrow">
        <ErrorBox title="Only ops managers and admins edit playbooks" error={new Error('You can view this playbook, but not change it.')} />
        <p>
          <a href={href({ name: 'playbook', key: playbookKey })}>View the playbook</a>
        </p>
      </div>
    );
  }
  if (loaded.status === 'loading') return <Loading label="Opening the designer…" />;
  if (loaded.status === 'error') {
    const missing = loaded.error instanceof ApiError && loaded.error.status === 404;
    return (
      <div className="page page--narrow">
        <ErrorBox
          title={missing ? `There is no playbook "${playbookKey}"` : 'Could not open the designer'}
          error={loaded.error}
          onRetry={missing ? undefined : loaded.reload}
        />
        <p>
          <a href={href({ name: 'playbooks' })}>Back to the playbooks</a>
        </p>
      </div>
    );
  }
  return (
    <ReactFlowProvider>
      <Designer loaded={loaded.data} />
    </ReactFlowProvider>
  );
}
