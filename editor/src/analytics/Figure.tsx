import type { ReactNode } from 'react';

/** Colour-blind-safe series colours (Okabe and Ito), in order. */
export const SERIES = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

/**
 * One measure: its chart and, beside it, the same figures as a table (for keyboard and screen-reader
 * users, and for exact numbers), with the CSV download of that table.
 */
export function Figure({
  id,
  title,
  description,
  controls,
  chart,
  table,
  csvHref,
  csvName,
}: {
  id: string;
  title: string;
  description: ReactNode;
  controls?: ReactNode;
  chart: ReactNode;
  table: ReactNode;
  csvHref: string;
  csvName: string;
}) {
  return (
    <section className="card figure" aria-labelledby={`${id}-title`}>
      <header className="figure__header">
        <div>
          <h2 id={`${id}-title`}>{title}</h2>
          <p className="small muted">{description}</p>
        </div>
        <div className="figure__controls">
          {controls}
          <a className="btn btn--small" href={csvHref} download={csvName}>
            Download CSV
          </a>
        </div>
      </header>
      <div className="figure__body">
        <div className="figure__chart" aria-hidden="true">
          {chart}
        </div>
        <div className="figure__table" tabIndex={0} role="region" aria-label={`${title}: table`}>
          {table}
        </div>
      </div>
    </section>
  );
}
