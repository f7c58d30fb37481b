export interface Step {
  id: string;
  title: string;
}

export function newSteps(): Step[] {
  return [
    { id: 'profile', title: 'Tell us about you' },
    { id: 'interests', title: 'Pick what you like' },
  ];
}

export function legacySteps(): Step[] {
  return [
    { id: 'profile', title: 'Profile' },
    { id: 'newsletter', title: 'Newsletter' },
    { id: 'interests', title: 'Interests' },
  ];
}
