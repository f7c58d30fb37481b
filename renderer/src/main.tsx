import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectQueryClient } from './data/query';
import { connectLive } from './live';
import './styles/base.css';
import './styles/canary.css';
import './styles/charts.css';
import './styles/tables-forms.css';
import './styles/extras.css';
import './styles/incident.css';
import './styles/decision.css';

// The browser host authenticated this page with a cookie set from `?token=`; keep the token out of the address
// bar, history and screenshots once the page has loaded.
if (new URLSearchParams(window.location.search).has('token')) {
  window.history.replaceState(null, '', window.location.pathname + window.location.hash);
}

connectQueryClient();
connectLive();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
