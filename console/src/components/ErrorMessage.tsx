// An error as the API answered it, shown verbatim (role=alert so it is announced).
export function ErrorMessage({ error }: { error: string | undefined }) {
  if (error === undefined || error === '') return null;
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}
