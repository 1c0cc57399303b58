"""Meeting pages: `pages` reads (list, meeting, agenda, minutes, actions, pack, my actions),
`changes` the forms that call one service each."""
