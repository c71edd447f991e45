import type { StepReport } from '../../../contract/analytics';
import { pct, stepTime } from '../analytics/numbers';

/** The heatmap's figures as a table, for keyboard and screen-reader users and for reading exact numbers. */
export function StepTable({ report }: { report: StepReport }) {
  const nodes = report.nodes.filter((n) => n.entered > 0);
  return (
    <section className="steptable" aria-label="Step analytics">
      <h2 className="steptable__title">Steps</h2>
      {nodes.length === 0 ? (
        <p className="small muted">No attempt entered a step in this range.</p>
      ) : (
        <table className="table steptable__table">
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Entered</th>
              <th scope="col">Median ≈</th>
              <th scope="col">p90 ≈</th>
              <th scope="col">Drop-off</th>
            </tr>
          </thead>
          <tbody>
            {nodes.map((n) => (
              <tr key={n.nodeId}>
                <th scope="row">{n.name}</th>
                <td>
                  {n.entered}
                  {n.open ? <span className="small muted"> ({n.open} there now)</span> : null}
                </td>
                <td>{stepTime(n.medianSeconds)}</td>
                <td>{stepTime(n.p90Seconds)}</td>
                <td>{pct(n.dropOffRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nodes.length > 0 && (
        <p className="small muted">
          Times are estimated from duration buckets, within −{Math.round(report.timeError.below * 100)} % … +{Math.round(report.timeError.above * 100)} % of the
          exact value; counts are exact.
        </p>
      )}
    </section>
  );
}
