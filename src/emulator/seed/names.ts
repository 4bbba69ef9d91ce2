// Internal to src/emulator/seed: the name lists the seeds draw people from. Plain ASCII so usernames derived from them
// are valid everywhere; varied on purpose, so a demo directory looks like a real customer base.

/** Given names. */
export const FIRST_NAMES: readonly string[] = [
  'Aaliyah', 'Abebe', 'Adaeze', 'Aditi', 'Ahmed', 'Aiko', 'Alejandro', 'Alessia', 'Amara', 'Anders',
  'Anika', 'Aoife', 'Arjun', 'Astrid', 'Ayesha', 'Bao', 'Beatriz', 'Bilal', 'Bjorn', 'Camila',
  'Carlos', 'Chen', 'Chiamaka', 'Chloe', 'Dalia', 'Daniel', 'Darius', 'Deepika', 'Diego', 'Dmitri',
  'Elena', 'Elif', 'Emeka', 'Emma', 'Esperanza', 'Fatima', 'Felix', 'Freya', 'Gabriel', 'Hana',
  'Hamza', 'Hiroshi', 'Ibrahim', 'Ines', 'Ingrid', 'Isabela', 'Ivan', 'Jamal', 'Javier', 'Jia',
  'Joao', 'Julia', 'Kai', 'Kamala', 'Karin', 'Kenji', 'Kofi', 'Lars', 'Leila', 'Liam',
  'Lucia', 'Mahmoud', 'Maja', 'Malik', 'Marco', 'Maria', 'Mateo', 'Mei', 'Mira', 'Mohammed',
  'Nadia', 'Naledi', 'Nikhil', 'Nina', 'Noah', 'Nour', 'Olga', 'Oluwaseun', 'Omar', 'Paolo',
  'Priya', 'Quentin', 'Rafael', 'Rania', 'Ravi', 'Rosa', 'Sakura', 'Samir', 'Sana', 'Santiago',
  'Sienna', 'Sofia', 'Soren', 'Tariq', 'Thandiwe', 'Tomas', 'Valentina', 'Wei', 'Yara', 'Yusuf',
  'Zainab', 'Zoe',
];

/** Family names. */
export const LAST_NAMES: readonly string[] = [
  'Abara', 'Adeyemi', 'Agarwal', 'Andersen', 'Bakker', 'Banerjee', 'Barros', 'Bauer', 'Bianchi', 'Castillo',
  'Chowdhury', 'Costa', 'Dahl', 'Delgado', 'Dubois', 'Eriksson', 'Esposito', 'Fernandes', 'Fischer', 'Fujita',
  'Gallagher', 'Garcia', 'Gonzalez', 'Haddad', 'Hansen', 'Hashemi', 'Hoang', 'Horvath', 'Ibrahim', 'Ito',
  'Iyer', 'Jensen', 'Kaur', 'Kaya', 'Khan', 'Kim', 'Kowalski', 'Kumar', 'Laine', 'Larsen',
  'Lee', 'Lindqvist', 'Lopez', 'Mahlangu', 'Martin', 'Mbeki', 'Mendes', 'Moreau', 'Morales', 'Murphy',
  'Nakamura', 'Nascimento', 'Nguyen', 'Novak', 'Nowak', 'Obi', 'Okafor', 'Olsen', 'Ortiz', 'Osei',
  'Park', 'Patel', 'Pereira', 'Petrov', 'Quinn', 'Rahman', 'Ramos', 'Reyes', 'Rossi', 'Sato',
  'Schmidt', 'Sharma', 'Silva', 'Singh', 'Sokolov', 'Suzuki', 'Tanaka', 'Tran', 'Turner', 'Usman',
  'Van Dijk', 'Vargas', 'Virtanen', 'Wagner', 'Walsh', 'Wang', 'Watanabe', 'Wright', 'Xu', 'Yamamoto',
  'Yilmaz', 'Zhang', 'Zhou', 'Zielinski',
];

/** A username part from a display-name part: lowercase letters only ("Van Dijk" → "vandijk"). */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}
