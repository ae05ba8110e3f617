/** Shown when the browser has no token: explains how to get the right URL. */
export function UnauthorizedPage() {
  return (
    <main className="center-page">
      <div className="empty-state">
        <h1>Slipway needs its access token</h1>
        <p>
          Open the full address that <code>slipway serve</code> printed, including <code>?token=…</code>. Each launch uses
          a new token, so an old link stops working when the server restarts.
        </p>
      </div>
    </main>
  );
}
