"""The app's pages (`st.Page` files run by `app.py`) and what they share (`shared.py`)."""
