import requests

headers = {"X-Api-Key": "your_api_key"}
response = requests.get(
    "https://api.plane.so/api/v1/users/me/",
    headers=headers
)

user = response.json()
print(f"Welcome, {user['display_name']}!")
