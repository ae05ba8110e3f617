import { Component, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** Changing this key clears a caught error (e.g. when the user navigates). */
  resetKey?: string;
}

/** Catches a page's render errors so one broken view never blanks the whole window. */
export class ErrorBoundary extends Component<Props, { error: Error | null; key?: string }> {
  override state: { error: Error | null; key?: string } = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: { error: Error | null; key?: string }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="error-notice" role="alert">
        <h2>This page hit an error</h2>
        <p>{this.state.error.message}</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
