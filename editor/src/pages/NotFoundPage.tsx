import { Empty } from '../components/Status';
import { href } from '../router';

export function NotFoundPage({ path }: { path: string }) {
  return (
    <div className="page page--narrow">
      <Empty title="Page not found">
        Nothing lives at <code>{path}</code>. <a href={href({ name: 'playbooks' })}>Go to playbooks</a>
      </Empty>
    </div>
  );
}
