import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { DeskGate } from './DeskGate';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DeskGate>
      <App />
    </DeskGate>
  </StrictMode>,
);
