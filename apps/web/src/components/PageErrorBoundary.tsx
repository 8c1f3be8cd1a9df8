import { Component, type ReactNode } from 'react';
import { ErrorMessage } from './ErrorMessage.js';

/**
 * An answer the page did not expect must not blank the whole workbench: the page shows
 * the error in words and the menu stays usable. Keyed by location, so moving on resets it.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override render() {
    return this.state.error === null ? this.props.children : <ErrorMessage error={this.state.error} />;
  }
}
