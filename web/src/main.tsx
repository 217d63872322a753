import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { registerServiceWorker } from './sw-register';
import './styles.css';

// Marks for bench:web's cold-start breakdown (and a phone's performance panel).
performance.mark('bazaar:script');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
registerServiceWorker();
