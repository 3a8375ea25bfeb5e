"""The fictional demo municipality Voorbeeldstad and the input templates."""
