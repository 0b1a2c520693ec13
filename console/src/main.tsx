import { render } from 'preact';

function App() {
  return <main>OpenTrail console</main>;
}

render(<App />, document.getElementById('app')!);
